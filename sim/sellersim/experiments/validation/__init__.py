"""The check of the model against published figures: what is measured, the targets, the check."""
