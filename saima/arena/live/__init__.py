"""The arena's live side: sockets (board, host console, judge), the host console and the
projector board pages. See docs/arena-live.md."""
