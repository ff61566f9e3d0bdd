"""python -m cover_glass_cli"""

from .cli import main

main()
