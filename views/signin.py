"""Sign in: the only page a signed-out visitor can reach (see ui/signin.signin_page)."""
from ui.signin import signin_page

signin_page()
