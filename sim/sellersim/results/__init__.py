"""What a run leaves behind: the event log, the daily record and the run folder."""
