"""Serve the `build-casebook/casebook` deployment from this process (no work pool needed).

    PREFECT_API_URL=http://127.0.0.1:4200/api python -m flows.serve

Each `prefect deployment run 'build-casebook/casebook'` then runs in a subprocess of this one,
with the project root as working directory. PREFECT_RUNNER_POLL_FREQUENCY sets how often it
looks for new runs (default here 2 s: editors wait for it).
"""

from __future__ import annotations

import os

from flows.paths import DEFAULT_OUTPUT, DEFAULT_SOURCE, PROJECT_ROOT


def main() -> None:
    os.environ.setdefault("PREFECT_RUNNER_POLL_FREQUENCY", "2")
    os.chdir(PROJECT_ROOT)
    from flows.build import build_casebook

    build_casebook.serve(
        name="casebook",
        parameters={"source": str(DEFAULT_SOURCE), "output_dir": str(DEFAULT_OUTPUT), "strict": False},
        description="Regenerate the casebook (事例集) from the source PDF and publish it under output/.",
        limit=1,
    )


if __name__ == "__main__":
    main()
