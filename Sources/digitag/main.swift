import DigitagCommands

Digitag.main()
