"""Where Celery's autodiscovery looks for this app's tasks (`kecamatan.tasks`). Each package
keeps its own: the recompute's in progress/tasks.py, the uploads' in uploads/tasks.py, the
reminders' and messages' in outreach/tasks.py. Their names stay `kecamatan.tasks.<function>`,
so queued messages and the beat schedule find them."""

from .outreach.tasks import (  # noqa: F401 - registered with Celery on import
    message_send_task,
    outreach_recap_task,
    plans_warm_task,
    visit_reminders_task,
    visit_requests_forget_task,
)
from .progress.tasks import (  # noqa: F401 - registered with Celery on import
    combined_segments_task,
    data_stale_alert_task,
    recompute_after_import_task,
    recompute_progress_task,
    recompute_unit_task,
)
from .uploads.tasks import (  # noqa: F401 - registered with Celery on import
    upload_check_task,
    upload_import_task,
    uploads_expire_task,
)
