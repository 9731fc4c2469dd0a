from elinara.cli.app import main

main()
