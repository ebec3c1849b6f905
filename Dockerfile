# One image for every motcua process: `python -m motcua_<service> api|worker|migrate|seed`
# (docker-compose.yml runs each service's API and worker as separate containers from it).
#
#   docker build -t motcua:local .
#
# Dependencies come from requirements.lock exactly (the same pins as `make run` and CI), then the
# seven project packages are installed with --no-deps, so nothing unpinned ever enters the image. Only the
# production lock: the test and development tools (requirements-dev.lock) never enter it.
#
# The base is pinned by the digest of its multi-platform index (python:3.11.16-slim on Debian trixie), so
# a rebuild gets the same system; moving to a newer base is a reviewed change (docs/releases.md).
FROM python:3.11-slim@sha256:9c900dea9e8fb7e16277c179b555cc72d29a352dbc33cff48ad5a0412fd5bfc7

# The release (shared/motcua_shared/VERSION; a test keeps the two equal). `docker inspect` shows it.
ARG MOTCUA_VERSION=1.0.0
LABEL org.opencontainers.image.title="motcua" \
      org.opencontainers.image.version="${MOTCUA_VERSION}"

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MOTCUA_VAR_DIR=/var/lib/motcua

WORKDIR /opt/motcua

# The lock first: its layer is rebuilt only when the pins change, not at every code change.
COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY shared ./shared
COPY services ./services
RUN pip install --no-deps ./shared ./services/intake ./services/routing ./services/notification \
        ./services/postal ./services/reporting ./services/console \
    && rm -rf ./shared ./services /root/.cache

# Non-root; MOTCUA_VAR_DIR is the only place a process writes (gunicorn's Prometheus files).
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/motcua --create-home --shell /usr/sbin/nologin motcua
USER motcua:motcua
WORKDIR /var/lib/motcua

# APIs listen on 8001-8005 and the console on 8006 (docs/contracts.md §1, §7);
# set MOTCUA_BIND_HOST=0.0.0.0 in a container.
EXPOSE 8001 8002 8003 8004 8005 8006
# Health checks live in docker-compose.yml: /healthz for an API, a process check for a worker.
# No sensible default process: compose names one per container.
CMD ["python", "-m", "motcua_intake", "--help"]
