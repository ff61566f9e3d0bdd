"""python -m cover_glass_cli"""

from . import main

main()
