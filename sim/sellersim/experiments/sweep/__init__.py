"""Parameter sweeps: the sweep file, designs, a resumable runner and the analysis of its runs."""
