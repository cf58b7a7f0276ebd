from repairdesk.cli import main

main()
