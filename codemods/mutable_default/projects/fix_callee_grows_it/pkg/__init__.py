# the package
