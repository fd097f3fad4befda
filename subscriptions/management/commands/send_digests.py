"""``manage.py send_digests``: send every digest that is due (run it daily from cron or a systemd timer).

Exit status 0 when the run finished (refused addresses included, they are counted), 1
when the mail server could not be reached and digests are left for the next run, 2 when
another run holds the lock.
"""

import signal
import sys

from django.core.management.base import BaseCommand, CommandError

from subscriptions.services import BATCH_SIZE, RunInProgress, digest_send


def _stop(signum, frame):
    # A stop (systemd, Ctrl-C) unwinds like an exception, so the batch in flight records what it sent.
    raise SystemExit(128 + signum)


class Command(BaseCommand):
    help = "Send the e-mail digests that are due: new, cancelled, postponed and moved events of each selection."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="messages per SMTP connection")

    def handle(self, *args, batch_size: int, **options) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        signal.signal(signal.SIGTERM, _stop)
        try:
            report = digest_send(batch_size=batch_size)
        except RunInProgress:
            self.stderr.write("Another send_digests run is in progress; nothing done.")
            sys.exit(2)
        self.stdout.write(
            f"{report.sent} digests sent; {report.quiet} subscribers had nothing new; "
            f"{report.selections} selections evaluated; {report.failures} failed "
            f"({report.refused} refused permanently, {report.failed} for now); "
            f"{report.deactivated} addresses deactivated; {report.broken} selections no longer valid; "
            f"{report.interrupted} digests of an interrupted run not resent; "
            f"{report.expired} unconfirmed requests deleted."
        )
        if report.errors:
            self.stderr.write("The mail server failed: " + "; ".join(report.errors))
            sys.exit(1)
