# lines inside a triple-quoted string in the default are never re-indented
def render(parts=[
    """header
  indented in the string
""",
]):
    parts.append("footer")
    return "".join(parts)
