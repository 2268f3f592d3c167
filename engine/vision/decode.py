"""Safe decoding of uploaded images into 8-bit BGR arrays.

Uploads are untrusted: the size is checked before anything is decoded, the pixel count is
read from the file's header before the decoder allocates memory (a tiny PNG can claim to
be gigapixels), and only still PNG, JPEG and WebP images are accepted. Grayscale, alpha
and 16-bit images are converted; everything else raises ``ImageError`` with the reason.
"""

from __future__ import annotations

import functools
import os
import pathlib
import struct

import cv2
import numpy as np

from engine.errors import ImageError

__all__ = ["MAX_BYTES", "MAX_PIXELS", "MIN_SIDE", "decode_image", "image_size"]

MAX_BYTES = 25 * 1024 * 1024  # 25 MB: far above any screenshot or phone photo we expect
MAX_PIXELS = 40_000_000  # 40 megapixels
MIN_SIDE = 16


def _png_size(data: bytes) -> tuple[int, int]:
    if len(data) < 33 or data[12:16] != b"IHDR":
        raise ImageError("the PNG file is truncated or corrupt (no IHDR header)")
    w, h = struct.unpack(">II", data[16:24])
    chunk = 8
    while chunk + 8 <= len(data):  # an acTL chunk before the image data means APNG
        length, kind = struct.unpack(">I4s", data[chunk : chunk + 8])
        if kind == b"acTL":
            raise ImageError("animated PNG images are not supported; upload a still image")
        if kind in (b"IDAT", b"IEND"):
            break
        chunk += 12 + length
    if b"IEND" not in data[-64:]:
        raise ImageError("the PNG file is truncated (it does not end with an IEND chunk)")
    return w, h


def _jpeg_size(data: bytes) -> tuple[int, int]:
    i = 2
    n = len(data)
    while i + 9 < n:
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            i += 1 if marker == 0xFF else 2
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            h, w = struct.unpack(">HH", data[i + 5 : i + 9])
            if b"\xff\xd9" not in data[-4096:]:
                raise ImageError("the JPEG file is truncated (it has no end-of-image marker)")
            return w, h
        i += 2 + length
    raise ImageError("the JPEG file is truncated or corrupt (no frame header)")


def _webp_size(data: bytes) -> tuple[int, int]:
    kind = data[12:16]
    if kind == b"VP8X":
        if len(data) < 30:
            raise ImageError("the WebP file is truncated")
        if data[20] & 0x02:
            raise ImageError("animated WebP images are not supported; upload a still image")
        w = 1 + int.from_bytes(data[24:27], "little")
        h = 1 + int.from_bytes(data[27:30], "little")
        return w, h
    if kind == b"VP8 " and len(data) >= 30:
        w, h = struct.unpack("<HH", data[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if kind == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    raise ImageError("the WebP file is truncated or corrupt")


def image_size(data: bytes) -> tuple[str, int, int]:
    """(format, width, height) read from the header, without decoding the pixels.

    >>> head = b"\\x89PNG\\r\\n\\x1a\\n\\0\\0\\0\\rIHDR" + bytes([0, 0, 1, 0, 0, 0, 0, 200])
    >>> image_size(head + bytes(9) + b"\\0\\0\\0\\0IEND\\xaeB`\\x82")
    ('png', 256, 200)
    """
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return ("png", *_png_size(data))
    if data.startswith(b"\xff\xd8\xff"):
        return ("jpeg", *_jpeg_size(data))
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ("webp", *_webp_size(data))
    if data[:6] in (b"GIF87a", b"GIF89a"):
        raise ImageError("GIF images are not supported; upload a PNG, JPEG or WebP screenshot")
    raise ImageError("this is not a PNG, JPEG or WebP image")


@functools.lru_cache(maxsize=1)
def _flatten_table() -> np.ndarray:
    """A channel value v under alpha a flattened onto a dark table colour, at a * 256 + v.

    The float32 blend ``v * a / 255 + 40 * (1 - a / 255)`` for every (a, v) once: looking
    it up costs a few milliseconds where computing it per pixel cost 20-50 ms on a
    screenshot, and gives the very same bytes.
    """
    alpha = np.arange(256, dtype=np.float32)[:, None] / 255.0
    value = np.arange(256, dtype=np.float32)[None, :]
    return (value * alpha + 40.0 * (1.0 - alpha)).astype(np.uint8).ravel()


def _to_bgr8(arr: np.ndarray) -> np.ndarray:
    if arr.dtype == np.uint16:
        arr = (arr >> 8).astype(np.uint8)
    elif arr.dtype in (np.float32, np.float64):
        if not np.isfinite(arr).all():
            raise ImageError("the image array holds NaN or infinite values")
        scale = 255.0 if arr.size and float(arr.max()) <= 1.0 else 1.0
        arr = np.clip(arr * scale, 0, 255).astype(np.uint8)
    elif arr.dtype == np.bool_:
        arr = arr.astype(np.uint8) * 255
    elif arr.dtype != np.uint8:
        raise ImageError(f"unsupported pixel type {arr.dtype}; expected 8- or 16-bit pixels")
    if arr.ndim == 2:
        return cv2.cvtColor(arr, cv2.COLOR_GRAY2BGR)
    if arr.ndim != 3 or arr.shape[2] not in (1, 3, 4):
        raise ImageError(f"an image array must be HxW, HxWx3 or HxWx4, got shape {arr.shape}")
    if arr.shape[2] == 1:
        return cv2.cvtColor(arr, cv2.COLOR_GRAY2BGR)
    if arr.shape[2] == 4:  # flatten transparency onto a dark table colour
        alpha = cv2.extractChannel(arr, 3)
        if cv2.minMaxLoc(alpha)[0] == 255:  # an opaque screenshot saved with an alpha channel
            return cv2.cvtColor(arr, cv2.COLOR_BGRA2BGR)
        return np.take(_flatten_table(), alpha.astype(np.uint16)[:, :, None] * 256 + arr[:, :, :3])
    return np.ascontiguousarray(arr)


def _check_shape(h: int, w: int) -> None:
    if h < MIN_SIDE or w < MIN_SIDE:
        raise ImageError(f"the image is {w}x{h} pixels; too small to hold readable cards")
    if w * h > MAX_PIXELS:
        raise ImageError(
            f"the image is {w}x{h} pixels, over the {MAX_PIXELS // 1_000_000} megapixel limit"
        )


def decode_image(image: object) -> np.ndarray:
    """Decode a path, encoded bytes or an array into a contiguous 8-bit BGR array.

    >>> decode_image(np.zeros((20, 30), np.uint8)).shape
    (20, 30, 3)
    >>> decode_image(b"hello")
    Traceback (most recent call last):
    ...
    engine.errors.ImageError: this is not a PNG, JPEG or WebP image
    """
    if isinstance(image, np.ndarray):
        if image.ndim < 2:
            raise ImageError(f"an image array must be 2- or 3-dimensional, got shape {image.shape}")
        _check_shape(image.shape[0], image.shape[1])
        return _to_bgr8(image)
    if isinstance(image, (str, os.PathLike)):
        path = pathlib.Path(image)
        if not path.is_file():
            raise ImageError(f"no image file at {str(path)!r}")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ImageError(
                f"the file is {size / 1e6:.1f} MB, over the {MAX_BYTES >> 20} MB limit"
            )
        try:
            image = path.read_bytes()
        except OSError as exc:
            raise ImageError(f"cannot read {str(path)!r}: {exc.strerror or exc}") from exc
    if isinstance(image, (bytearray, memoryview)):
        image = bytes(image)
    if not isinstance(image, bytes):
        raise ImageError(
            f"expected an image path, encoded bytes or a numpy array, got {type(image).__name__}"
        )
    if len(image) > MAX_BYTES:
        raise ImageError(
            f"the image is {len(image) / 1e6:.1f} MB, over the {MAX_BYTES >> 20} MB limit"
        )
    if not image:
        raise ImageError("the image is empty (0 bytes)")
    _, w, h = image_size(image)
    _check_shape(h, w)
    arr = cv2.imdecode(np.frombuffer(image, np.uint8), cv2.IMREAD_UNCHANGED)
    if arr is None:
        raise ImageError("the image could not be decoded; the file is corrupt or truncated")
    if arr.shape[0] != h or arr.shape[1] != w:
        raise ImageError("the image header and its pixel data disagree; the file is corrupt")
    return _to_bgr8(arr)
