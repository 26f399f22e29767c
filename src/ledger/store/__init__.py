"""The write side's store: its URL, the event table beside it, and the tables that
commands are checked against (fed from the log by `projector`). The reports read the
same tables (`projections`), never write them."""
