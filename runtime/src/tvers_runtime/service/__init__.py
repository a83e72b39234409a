"""What runs a service process: its infrastructure, its HTTP app and its lifecycle."""

from tvers_runtime.service.host import Infrastructure, ServiceHost
from tvers_runtime.service.serve import serve

__all__ = ["Infrastructure", "ServiceHost", "serve"]
