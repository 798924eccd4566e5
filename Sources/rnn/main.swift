import RNNCommands

RNNMain.run()
