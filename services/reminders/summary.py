"""The run's summary for the operator (English, one fact a line)."""
from __future__ import annotations

from collections import Counter

from services.reminders.mail import Outgoing
from services.reminders.run import RunReport


def summary_lines(report: RunReport, *, dry_run: bool) -> list[str]:
    if dry_run:
        counts = Counter(kind for kind, _msg in report.previews)
        lines = [f"Dry run: {len(report.previews)} mail(s) would be sent; nothing was sent or recorded."]
    else:
        counts = Counter(kind for kind, _to, _subject in report.sent)
        lines = [f"Mails sent: {len(report.sent)}."]
    lines += [f"  {kind}: {n}" for kind, n in sorted(counts.items())]
    if report.skipped:
        lines.append(f"Skipped (another run had sent or was sending them): {report.skipped}.")
    for username, address, reason in report.refused:
        lines.append(f"Not sent to {username} <{address}>: {reason}")
    if report.no_email:
        lines.append(f"No e-mail address, nothing sent ({len(report.no_email)}): {', '.join(report.no_email)}")
    return lines



def preview_text(mail: Outgoing, *, sender: str) -> str:
    """A mail as the operator reads it in a dry run: sender, recipient, subject, plain text
    (the HTML alternative says the same; the MIME message is built only to send)."""
    return f"From: {sender}\nTo: {mail.to}\nSubject: {mail.subject}\n\n{mail.text}"
