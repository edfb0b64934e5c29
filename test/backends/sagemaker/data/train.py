import sys
print("training", sys.argv[1:])
