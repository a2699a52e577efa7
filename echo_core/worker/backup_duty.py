"""The daily backup: at ECHO_BACKUP_TIME (in ECHO_BACKUP_TIMEZONE), into ECHO_BACKUP_DIR, kept
ECHO_BACKUP_KEEP_DAYS, verified right away (ECHO_BACKUP_VERIFY).

Every worker checks once a minute whether today's backup is due; the first to take the singleton
lock takes it and records it in the same transaction, the others see it done. A worker that was
down at the scheduled time takes the backup when it starts.
"""

from __future__ import annotations

from datetime import UTC, datetime

from echo_core.errors import BackupFailed, EchoError
from echo_core.ops.backup import backup_due, backup_name, prune, require_directory, take_backup
from echo_core.ops.records import record_run, scheduled_backups
from echo_core.ops.tools import Interrupted
from echo_core.ops.verify import record_verification, verify_backup
from echo_core.worker.duties import Context, PeriodicDuty
from echo_core.worker.heartbeat import Pass


class BackupDuty(PeriodicDuty):
    name = "backup"
    interval = 60.0

    def due(self, ctx: Context, now: datetime | None = None) -> bool:
        last_ok, last_attempt = scheduled_backups(ctx.owner)
        return backup_due(now or datetime.now(UTC), at=ctx.settings.backup_time, zone=ctx.settings.backup_timezone,
                          last_ok=last_ok, last_attempt=last_attempt)

    def run_once(self, ctx: Context) -> Pass:
        if not self.due(ctx):
            return Pass()
        settings = ctx.settings
        directory = settings.backups_directory
        started = datetime.now(UTC)
        file = directory / backup_name(ctx.owner.url.database or "db", started)
        try:
            require_directory(directory)
            backup = take_backup(ctx.owner, file, scheduled=True, still_due=lambda: self.due(ctx),
                                 should_stop=ctx.stop.is_set)
        except Interrupted:
            return Pass()  # stopping: nothing kept, nothing recorded; the next start takes it
        except EchoError as error:
            record_run(ctx.owner, kind="backup", scheduled=True, file=str(file), ok=False, started_at=started,
                       seconds=(datetime.now(UTC) - started).total_seconds(), error=str(error))
            raise
        if backup is None:
            return Pass()  # another worker has it in hand, or has just finished it
        removed = prune(directory, database=ctx.owner.url.database or "db", keep_days=settings.backup_keep_days,
                        now=started)
        if removed:
            print(f"backup: pruned {len(removed)} backup(s) older than {settings.backup_keep_days} days", flush=True)
        if settings.backup_verify:
            try:
                verified = verify_backup(ctx.owner, file, should_stop=ctx.stop.is_set)
            except Interrupted:
                return Pass(done=1)
            record_verification(ctx.owner, verified, scheduled=True)
            if not verified.ok:
                raise BackupFailed(f"backup {file.name} was taken but did not verify: {verified.problems[0]}")
        return Pass(done=1)
