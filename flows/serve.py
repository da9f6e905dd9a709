"""Serve the deployment `build-casebook/serve` from this process: no work pool, no worker.

    PREFECT_API_URL=http://127.0.0.1:4200/api python -m flows.serve

Each `prefect deployment run 'build-casebook/serve'` then runs in a subprocess of this one.
It has a name of its own: `serve` registers its deployment without a work pool and pauses it
when stopped, so under the worker's name (`build-casebook/casebook`, from prefect.yaml) it would
take that deployment away from the worker. Both share the output folder's lock and the cache.
The flow's relative paths are relative to the project root, so it can be started from anywhere.
PREFECT_RUNNER_POLL_FREQUENCY sets how often it asks the server for new runs: 1 s here unless
set, since an editor waits for it (the cost is one small query a second to a local server).
"""

from __future__ import annotations

import os

NAME = "serve"
DESCRIPTION = "Regenerate the casebook (事例集) from the source PDF and publish it under output/."


def main() -> None:
    """Register the deployment and run its flow runs until interrupted (Ctrl-C)."""
    os.environ.setdefault("PREFECT_RUNNER_POLL_FREQUENCY", "1")
    from flows.build import build_casebook  # after the setting: Prefect reads settings at import

    # One run at a time: a second waits here, visibly Scheduled, rather than for the output lock.
    build_casebook.serve(name=NAME, description=DESCRIPTION, limit=1)


if __name__ == "__main__":
    main()
