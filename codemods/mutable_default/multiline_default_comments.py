# a multi-line default moves verbatim: comments kept, continuation lines re-indented
def configure(
    name,
    options={
        "retries": 3,  # how often to retry
        # the timeout is in seconds
        "timeout": 10,
    },
):
    options["name"] = name
    return options
