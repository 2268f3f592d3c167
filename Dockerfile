# Felt in one image: the app (serve.py: app.py plus /healthz and /metrics) on port 8501.
#
#   docker build -t felt .                  (or: podman build -t felt .)
#   docker run -p 8501:8501 -v felt-data:/data felt
#
# Data lives in /data (SQLite, WAL): mount a volume there, or set FELT_DB to another path.
FROM debian:bookworm-slim

# Debian's Python 3.11 and a venv: the same interpreter the project is tested on
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
# behind a TLS-inspecting proxy: --build-arg PIP_CERT=/path/to/ca.pem (mounted into the build)
ARG PIP_CERT
RUN python3 -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir --disable-pip-version-check -r requirements.txt

COPY . .
# Compile the numba kernels into the image (10-20 s once), so the first answer after a
# deploy is not the one that pays for it; the app user cannot write to /app later anyway.
ENV NUMBA_CACHE_DIR=/app/.numba_cache PYTHONUNBUFFERED=1
RUN /opt/venv/bin/python -m engine equity AhKh QsQd --board 2c7d9h \
    && /opt/venv/bin/python -m engine equity AhKh QsQd --trials 2000 --seed 1 \
    && /opt/venv/bin/python -m engine sim --hands 20000 --strategy indices --seed 1 > /dev/null \
    && /opt/venv/bin/python -c "from engine.blackjack import Rules, house_edge; house_edge(Rules())" \
    && useradd --system --uid 10001 --home-dir /data --create-home felt \
    && chmod -R a+rX /app

USER felt
ENV FELT_DB=/data/felt.db
VOLUME ["/data"]
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["/opt/venv/bin/python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8501/healthz', timeout=4)"]
CMD ["/opt/venv/bin/python", "-m", "streamlit", "run", "serve.py", \
     "--server.address=0.0.0.0", "--server.port=8501"]
