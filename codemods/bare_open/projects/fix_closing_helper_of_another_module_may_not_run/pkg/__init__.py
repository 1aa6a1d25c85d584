# A package.
