"""The Streamlit app layer: cached engine, cached query wrappers, safe text rendering."""
