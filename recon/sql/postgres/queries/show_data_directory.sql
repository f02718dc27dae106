-- Where the server keeps its data (the embedded server's is ours, beside its generated passwords).
SHOW data_directory
