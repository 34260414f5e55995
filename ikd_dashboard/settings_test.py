"""Settings for the test suite: the real settings, with what makes tests fast and independent.

A fast password hasher, a cache of the test process's own (a test never sees another's pages),
and Celery tasks run in-process, raising their errors, unless a test starts the real worker
(`celery_worker` in tests/conftest.py flips `task_always_eager` off for that test). The broker,
database and everything else still come from the environment, as in production.
"""

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
