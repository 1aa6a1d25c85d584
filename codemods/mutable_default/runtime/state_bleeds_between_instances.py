# pyfix-fixture: safe-only
# A dict default in `__init__` is shared by every instance: writing through one shows in the next.
import sys


class Session:
    def __init__(self, user, headers={}, *, tags=set()):
        self.user = user
        self.headers = headers
        self.tags = tags
        self.headers["user"] = user
        self.tags.add(user)


alice = Session("alice")
bob = Session("bob")
print("bob's user header:", bob.headers["user"])
print("explicit headers:", Session("carol", {"x": 1}).headers)

if alice.headers is bob.headers or "alice" in bob.tags:
    print("LEAK: alice's session state is visible in bob's", file=sys.stderr)
