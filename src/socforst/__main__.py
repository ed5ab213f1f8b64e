"""``python -m socforst``: the ``socforst`` command line (see :mod:`socforst.cli`)."""

from __future__ import annotations

import sys

from socforst.cli import main

__all__: list[str] = []

if __name__ == "__main__":
    sys.exit(main())
