"""The reporting clock: what is due for whom, digests, update requests before a meeting and
expiry notices by e-mail, sent once each (the SentMail ledger), by `manage.py send-reminders`."""
