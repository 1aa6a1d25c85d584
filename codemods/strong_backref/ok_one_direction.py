# A cursor keeps its connection, but the connection does not keep its cursors: no cycle, untouched.
class Cursor:
    def __init__(self, connection):
        self.connection = connection

    def execute(self, sql):
        return self.connection.run(sql)


class Connection:
    def cursor(self):
        return Cursor(self)

    def run(self, sql):
        return sql
