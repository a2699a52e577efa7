import sys

if sys.argv[1:3] == ["db", "ping"]:  # healthchecks: answer in well under a second, without loading the CLI
    from echo_core.db.ping import main as ping

    sys.exit(ping(sys.argv[3:]))

from echo_core.cli import main  # noqa: E402

sys.exit(main())
