#load "deeper/punctuation.csx"
string Greet(string who) => $"hello {who}{Bang}";
