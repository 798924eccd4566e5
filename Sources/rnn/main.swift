import RNNCommands

RNNCommand.main()
