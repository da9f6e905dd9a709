"""What every stage of the casebook shares: the report's vocabulary (`casebook.vocabulary`) and the
errors a user can act on (`casebook.errors`). It imports nothing of extract/, transform/, render/ or
flows/, so each of them can import it without reaching back up the pipeline."""
