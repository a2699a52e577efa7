"""Real mail: inbound parsing, dedup and threading (ingest, imap); outbound outbox, transports and worker."""
