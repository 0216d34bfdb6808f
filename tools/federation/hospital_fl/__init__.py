"""Lesson 05's Flower app: the five hospitals of the course train one readmission model with FedAvg."""
