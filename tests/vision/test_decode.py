"""Uploads are decoded safely: every bad input is an ImageError that says what is wrong."""

import struct
import zlib

import cv2
import numpy as np
import pytest

from engine.errors import ImageError
from engine.vision import decode
from engine.vision.decode import decode_image, image_size


def _png(arr: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".png", arr)
    assert ok
    return buf.tobytes()


def _chunk(kind: bytes, payload: bytes) -> bytes:
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))


@pytest.fixture
def picture() -> np.ndarray:
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, (40, 60, 3), dtype=np.uint8)


def test_png_jpeg_and_webp_bytes_decode_to_bgr(picture):
    for ext in (".png", ".jpg", ".webp"):
        ok, buf = cv2.imencode(ext, picture)
        assert ok
        out = decode_image(buf.tobytes())
        assert out.shape == (40, 60, 3) and out.dtype == np.uint8
    assert np.array_equal(decode_image(_png(picture)), picture)


def test_a_path_is_read(tmp_path, picture):
    path = tmp_path / "table.png"
    path.write_bytes(_png(picture))
    assert np.array_equal(decode_image(path), picture)
    assert np.array_equal(decode_image(str(path)), picture)


def test_missing_file_names_the_path(tmp_path):
    with pytest.raises(ImageError, match="no image file at"):
        decode_image(tmp_path / "nope.png")


def test_non_image_bytes_are_rejected():
    with pytest.raises(ImageError, match="not a PNG, JPEG or WebP image"):
        decode_image(b"%PDF-1.7 this is a document")


def test_empty_bytes_are_rejected():
    with pytest.raises(ImageError, match="empty"):
        decode_image(b"")


def test_gif_and_other_objects_are_rejected():
    with pytest.raises(ImageError, match="GIF images are not supported"):
        decode_image(b"GIF89a" + bytes(100))
    with pytest.raises(ImageError, match="expected an image path, encoded bytes or a numpy array"):
        decode_image(12345)


def test_too_many_bytes_are_rejected_before_decoding(monkeypatch, picture):
    monkeypatch.setattr(decode, "MAX_BYTES", 100)
    with pytest.raises(ImageError, match="MB limit"):
        decode_image(_png(picture))


def test_decompression_bomb_is_rejected_from_its_header(picture):
    data = bytearray(_png(picture))
    data[16:24] = struct.pack(">II", 100_000, 100_000)  # claims 10 gigapixels
    with pytest.raises(ImageError, match="megapixel limit"):
        decode_image(bytes(data))


def test_truncated_png_and_jpeg_are_rejected(picture):
    with pytest.raises(ImageError, match="truncated"):
        decode_image(_png(picture)[:-40])
    _ok, buf = cv2.imencode(".jpg", picture)
    with pytest.raises(ImageError, match="truncated"):
        decode_image(buf.tobytes()[: len(buf) // 2])


def test_corrupt_pixel_data_is_rejected(picture):
    data = _png(picture)
    idat = data.index(b"IDAT")
    broken = data[: idat + 4] + bytes(200) + data[idat + 204 :]
    with pytest.raises(ImageError, match="corrupt"):
        decode_image(broken)


def test_animated_png_is_rejected(picture):
    data = _png(picture)
    actl = _chunk(b"acTL", struct.pack(">II", 2, 0))
    apng = data[:33] + actl + data[33:]
    with pytest.raises(ImageError, match="animated PNG"):
        decode_image(apng)


def test_animated_webp_is_rejected():
    vp8x = b"VP8X" + struct.pack("<I", 10) + bytes([0x02, 0, 0, 0]) + (99).to_bytes(3, "little")
    vp8x += (99).to_bytes(3, "little")
    data = b"RIFF" + struct.pack("<I", 4 + len(vp8x)) + b"WEBP" + vp8x
    with pytest.raises(ImageError, match="animated WebP"):
        decode_image(data)


def test_grayscale_alpha_and_16_bit_images_are_converted():
    gray = np.full((30, 30), 200, np.uint8)
    assert decode_image(_png(gray)).shape == (30, 30, 3)
    bgra = np.zeros((30, 30, 4), np.uint8)
    bgra[..., :3] = 250
    bgra[..., 3] = 255
    bgra[:10, :, 3] = 0  # transparent rows become the dark table colour
    out = decode_image(_png(bgra))
    assert out.shape == (30, 30, 3)
    assert out[20, 5].tolist() == [250, 250, 250] and out[5, 5].tolist() == [40, 40, 40]
    deep = np.full((30, 30, 3), 0xABCD, np.uint16)
    out = decode_image(_png(deep))
    assert out.dtype == np.uint8 and out[0, 0].tolist() == [0xAB, 0xAB, 0xAB]


def test_alpha_is_flattened_as_the_float_blend_for_every_alpha_and_value():
    # every (alpha, value) pair once, in each channel: the lookup gives the blend's bytes
    grid = np.zeros((256, 256, 4), np.uint8)
    grid[..., 3] = np.arange(256)[:, None]
    for c in range(3):
        grid[..., c] = np.roll(np.arange(256), 85 * c)[None, :]
    alpha = grid[:, :, 3:4].astype(np.float32) / 255.0
    blend = (grid[:, :, :3].astype(np.float32) * alpha + 40.0 * (1.0 - alpha)).astype(np.uint8)
    assert np.array_equal(decode_image(grid), blend)
    opaque = grid.copy()
    opaque[..., 3] = 255  # an opaque screenshot saved with alpha keeps its colours exactly
    out = decode_image(opaque[:, ::2])  # a strided view is read too
    assert out.flags["C_CONTIGUOUS"] and np.array_equal(out, opaque[:, ::2, :3])


def test_bad_arrays_are_rejected():
    with pytest.raises(ImageError, match="shape"):
        decode_image(np.zeros((30, 30, 5), np.uint8))
    with pytest.raises(ImageError, match="unsupported pixel type"):
        decode_image(np.zeros((30, 30, 3), np.int64))
    with pytest.raises(ImageError, match="too small"):
        decode_image(np.zeros((8, 8, 3), np.uint8))


def test_header_size_is_read_without_decoding(picture):
    assert image_size(_png(picture)) == ("png", 60, 40)
    _ok, buf = cv2.imencode(".jpg", picture)
    assert image_size(buf.tobytes()) == ("jpeg", 60, 40)
