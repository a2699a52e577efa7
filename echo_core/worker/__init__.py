"""`python -m echo_core worker`: one process running every background duty, each in its own thread.

Duties: deliver the outbox, poll IMAP (where configured), draft replies to new inbound mail
(where ECHO_AUTO_DRAFT is on) and take the daily backup. Each writes a heartbeat row.
"""
