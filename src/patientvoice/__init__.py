"""patientvoice: publish accredited CME built on the patient voice."""

from patientvoice.problems import Problem
from patientvoice.course.loader import load_course

__all__ = ["Problem", "load_course", "__version__"]
__version__ = "0.1.0"
