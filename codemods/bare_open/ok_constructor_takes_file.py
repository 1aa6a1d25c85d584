# a class built on an inline open owns the file (a response streams it after this function returns): no finding
def serve(path, FileResponse):
    response = FileResponse(open(path, "rb"), content_type="text/plain")
    response.headers["X-Path"] = path
    return response
