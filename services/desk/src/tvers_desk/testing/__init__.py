"""What the desk's tests share (and other packages' tests may use)."""
