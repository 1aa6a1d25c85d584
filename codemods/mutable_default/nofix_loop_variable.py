# a default that captures a loop variable: a guard would see the variable's last value
callbacks = []
for i in range(3):
    def cb(acc=[i]):
        acc.append(0)
        return acc

    callbacks.append(cb)
