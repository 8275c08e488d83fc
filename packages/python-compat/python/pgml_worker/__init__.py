"""pgml-ts scikit-learn worker: a long-lived process speaking framed binary messages over stdin/stdout."""
