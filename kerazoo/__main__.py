from kerazoo.cli import main

raise SystemExit(main())
