"""rasid (راصد): offline, Arabic-first news monitoring."""
from .settings import limit_blas_threads

limit_blas_threads()  # before numpy is first imported

__version__ = "0.1.0"
