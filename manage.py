#!/usr/bin/env python
from congvu.cli import main

if __name__ == "__main__":
    main()
