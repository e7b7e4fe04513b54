// A Swift plugin imports PluginKit alone: its config reader comes with it.
@_exported import ConfigKit
