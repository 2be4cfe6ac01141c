"""Developer helper: regenerate the baseline migration 0001 from models/tables.py.

Until the first release there are no user databases to upgrade, so the baseline is regenerated whenever
the tables change (`python -m selfcheck.devtools regen`). After the first release, add new revisions.

Revision 0003 (the inspection's level) is such a new revision: user data with 0002 exists, so the tables
now change only through new revisions, and `regen` refuses to run (it would fold 0003's column into the
baseline, and 0003 would then add it twice).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path


def regen_baseline() -> Path:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    versions = Path(__file__).resolve().parent.parent / "models" / "migrations" / "versions"
    later = sorted(p.name for p in versions.glob("0*.py") if p.name[:4] not in ("0001", "0002"))
    if later:
        raise SystemExit(
            f"the schema now changes through new revisions ({', '.join(later)}); add one instead"
        )
    target = versions / "0001_baseline.py"
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp) / 'empty.sqlite3'}")
        with engine.connect() as conn:
            cfg = Config()
            cfg.set_main_option("script_location", "selfcheck.models:migrations")
            cfg.attributes["connection"] = conn
            # 0002 depends on 0001; hide it while autogenerating against an empty database
            triggers = versions / "0002_append_only_triggers.py"
            hidden = triggers.with_suffix(".hidden")
            if triggers.exists():
                triggers.rename(hidden)
            try:
                command.revision(cfg, message="baseline", autogenerate=True, rev_id="0001")
            finally:
                if hidden.exists():
                    hidden.rename(triggers)
    produced = next(versions.glob("0001_*.py"))
    produced.rename(target)
    return target


if __name__ == "__main__":
    if sys.argv[1:] == ["regen"]:
        print(regen_baseline())
    else:
        print("usage: python -m selfcheck.devtools regen")
