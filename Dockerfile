# The production image: gunicorn serving Django (static files through whitenoise), and the same
# image runs the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# Chromium prints the monthly report to PDF (Playwright drives this system package; no browser
# is downloaded); its fonts come along as dependencies.
RUN apt-get update && apt-get install -y --no-install-recommends chromium fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
ENV CHROMIUM_PATH=/usr/bin/chromium

# Exactly the locked set (every package pinned, direct and transitive; `make lock` writes it):
# --no-deps takes nothing the lock does not name, and pip check finds anything it misses,
# for broken or missing dependencies. CI installs it the same way (`make shipped`).
COPY requirements.txt .
RUN pip install --no-cache-dir --no-deps -r requirements.txt && pip check

COPY . .
# Collected once at build time; the keys here only let settings load and are never used.
RUN DEBUG=False SECRET_KEY=collectstatic NIK_HASH_KEY=collectstatic \
    python manage.py collectstatic --noinput -v0

RUN mkdir -p /app/beat /app/var/uploads && useradd --system --home /app ikd && chown -R ikd /app
USER ikd

EXPOSE 8000
CMD ["gunicorn", "ikd_dashboard.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--timeout", "120", "--access-logfile", "-"]
