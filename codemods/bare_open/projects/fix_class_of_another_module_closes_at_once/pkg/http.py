# reads the file it is given into its content and closes it at once
class Response:
    def __init__(self, content):
        self.content = content.read()
        content.close()
