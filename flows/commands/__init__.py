"""One module per `casebook` subcommand: `add_arguments(parser)` and `run(args) -> int`.

Heavy imports (Prefect, python-docx) happen inside `run` so `casebook --help` stays fast.
"""
