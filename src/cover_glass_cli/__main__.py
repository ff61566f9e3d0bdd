"""python -m cover_glass_cli"""

from .launch import main

main()
