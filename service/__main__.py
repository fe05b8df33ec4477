from practice_alerts.cli import main

raise SystemExit(main())
